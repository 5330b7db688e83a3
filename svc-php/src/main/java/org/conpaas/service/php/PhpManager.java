package org.conpaas.service.php;

import java.util.List;
import java.util.Map;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceNode;

public class PhpManager implements ServiceManager {
    public PhpManager(ServiceContext context, int proxyPort) {
    }
    @Override public void onStart(List<ServiceNode> nodes) { }
    @Override public void onAddNodes(List<ServiceNode> nodes) { }
    @Override public Object invoke(String operation, Map<String, Object> params, Map<String, UploadedFile> files) {
        return null;
    }
}
