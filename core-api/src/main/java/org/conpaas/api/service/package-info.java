/** The service-type plug-in contract: ServiceType, ServiceManager and the ServiceContext the director gives a manager. */
@Export
@Version("2.3.0")
package org.conpaas.api.service;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
