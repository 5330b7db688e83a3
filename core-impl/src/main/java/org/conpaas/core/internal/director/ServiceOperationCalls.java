package org.conpaas.core.internal.director;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.conpaas.api.ConpaasException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.OperationFailedException;
import org.conpaas.api.State;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.UploadedFile;

/**
 * Service-specific operations. Short ones run in the call while no change can claim the service; read-only ones also
 * while it is ADAPTING; long-running ones ({@link OperationDescriptor#longRunning()}) claim ADAPTING and run in the
 * background within their own timeout, and the call returns the service's new state.
 */
final class ServiceOperationCalls {
    private static final Set<State> READ_ONLY = EnumSet.of(State.RUNNING, State.ADAPTING);

    private final Lookup lookup;
    private final OperationEngine engine;
    private final ServiceTypeRegistry types;
    private final ServiceManagers managers;
    private final ExecutorService executor;

    ServiceOperationCalls(Lookup lookup, OperationEngine engine, ServiceTypeRegistry types, ServiceManagers managers,
            ExecutorService executor) {
        this.lookup = lookup;
        this.engine = engine;
        this.types = types;
        this.managers = managers;
        this.executor = executor;
    }

    List<OperationDescriptor> list(String user, String app, String svc) {
        return types.require(lookup.service(user, app, svc).type()).type().operations();
    }

    Object invoke(String user, String app, String svc, String operation, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        ServiceKey key = lookup.service(user, app, svc);
        OperationDescriptor op = types.require(key.type()).type().operations().stream()
                .filter(o -> o.name().equals(operation)).findFirst()
                .orElseThrow(() -> new NotFoundException("service type " + key.type() + " has no operation '"
                        + operation + "'"));
        Map<String, Object> checked = OperationParameters.validate(op, params, files);
        Map<String, UploadedFile> given = files == null ? Map.of() : files;
        if (op.longRunning()) {
            OperationEngine.Claim claim = engine.claim(key, "call " + operation, ServiceLifecycle.CHANGEABLE,
                    State.ADAPTING, "running " + operation, (em, s) -> { });
            // The caller's uploads end with its request; the operation works on copies of its own.
            Map<String, UploadedFile> kept;
            try {
                kept = copies(given);
            } catch (IOException e) {
                engine.settle(key, OperationEngine.Outcome.running(operation + " could not keep its files: "
                        + e.getMessage()));
                throw new java.io.UncheckedIOException(e);
            }
            engine.run(claim, cancelled -> {
                try {
                    return runLong(key, op, checked, kept);
                } finally {
                    kept.values().forEach(f -> f.path().toFile().delete());
                }
            });
            return claim.info();
        }
        return engine.whileIn(key, "call " + operation, op.readOnly() ? READ_ONLY : ServiceLifecycle.CHANGEABLE,
                () -> call(key, operation, checked, given));
    }

    private Object call(ServiceKey key, String operation, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        ManagedService service = managers.managed(key);
        try {
            return service.manager().invoke(operation, params, files);
        } catch (ConpaasException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        } catch (Exception e) {
            service.log().error("operation " + operation + " failed", e);
            throw new OperationFailedException("operation " + operation + " failed: " + Reasons.of(e), e);
        }
    }

    private static Map<String, UploadedFile> copies(Map<String, UploadedFile> files) throws IOException {
        Map<String, UploadedFile> copies = new HashMap<>();
        for (Map.Entry<String, UploadedFile> e : files.entrySet()) {
            Path copy = Files.createTempFile("conpaas-operation", ".upload");
            Files.copy(e.getValue().path(), copy, StandardCopyOption.REPLACE_EXISTING);
            copies.put(e.getKey(), new UploadedFile(e.getValue().field(), e.getValue().fileName(), copy));
        }
        return copies;
    }

    /** Runs the operation on a thread of its own so its timeout can cut it short (interrupting it). */
    private OperationEngine.Outcome runLong(ServiceKey key, OperationDescriptor op, Map<String, Object> params,
            Map<String, UploadedFile> files) {
        ManagedService service = managers.managed(key);
        Future<Object> running = executor.submit(() -> service.manager().invoke(op.name(), params, files));
        Duration timeout = Duration.ofSeconds(op.timeoutSeconds());
        try {
            Object result = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            service.log().info("operation " + op.name() + " done" + (result == null ? "" : ": " + result));
            return OperationEngine.Outcome.running(op.name() + " done");
        } catch (TimeoutException e) {
            running.cancel(true);
            service.log().warn("operation " + op.name() + " cut short after " + timeout.toSeconds() + " s");
            return OperationEngine.Outcome.running(op.name() + " did not finish within " + timeout.toSeconds()
                    + " s and was cut short");
        } catch (ExecutionException e) {
            service.log().error("operation " + op.name() + " failed", e.getCause());
            return OperationEngine.Outcome.running(op.name() + " failed: " + Reasons.of(e.getCause()));
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            return OperationEngine.Outcome.running(op.name() + " was interrupted");
        }
    }
}
