/** States and domain exceptions shared by the director and every plug-in. */
@Export
@Version("1.2.0")
package org.conpaas.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
