/**
 * Just enough JSON for the node side: the agent protocol's small bodies and the answers of the servers plug-ins
 * drive (Flink's REST API). Objects become maps, arrays lists, numbers Integer, Long, BigInteger or Double. The agent
 * runtime has no JSON library, because loading one costs every node start a few hundred classes (docs/performance.md).
 */
package org.conpaas.service.support.json;
