package org.conpaas.service.web;

import java.util.List;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterDescriptor;
import org.conpaas.api.model.ParameterType;

/** The service operations every web hosting type offers (handled by {@link WebManager}). */
public final class SharedOperations {

    public static final List<OperationDescriptor> DESCRIPTORS = List.of(
            new OperationDescriptor(WebManager.UPDATE_NODES_WEIGHT,
                    "Load-balancing weights (1-1000) of web and backend nodes",
                    List.of(ParameterDescriptor.optional(WebRoles.WEB, ParameterType.JSON, "{node id: weight}"),
                            ParameterDescriptor.optional(WebRoles.BACKEND, ParameterType.JSON, "{node id: weight}")),
                    false),
            new OperationDescriptor(WebManager.LIST_NODES, "The nodes of each role (a node running several roles is "
                    + "listed under each)", List.of(), true));

    private SharedOperations() {
    }
}
