/** The agent-side plug-in contract: what runs on a node. */
@Export
@Version("1.4.0")
package org.conpaas.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
