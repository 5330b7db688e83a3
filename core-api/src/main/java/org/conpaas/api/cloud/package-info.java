/** The cloud-driver plug-in contract. */
@Export
@Version("2.2.0")
package org.conpaas.api.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
