/** Data transfer records that cross bundle boundaries (JPA entities never do). */
@Export
@Version("1.6.0")
package org.conpaas.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
