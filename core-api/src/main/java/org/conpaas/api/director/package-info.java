/** The director façade: the one entry point REST, shell and plug-in commands use. */
@Export
@Version("1.5.0")
package org.conpaas.api.director;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
