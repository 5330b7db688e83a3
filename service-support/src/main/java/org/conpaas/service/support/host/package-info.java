/**
 * Host mechanisms the cloud drivers that keep nodes on this machine share (the local and the LXC cloud): private
 * files and folders, properties records, volume images and their records, and mounting and unmounting them. Embedded
 * as a private package by the bundles that use it.
 */
package org.conpaas.service.support.host;
