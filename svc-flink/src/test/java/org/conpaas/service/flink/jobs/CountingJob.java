package org.conpaas.service.flink.jobs;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * A streaming job for the scaling test: a source counting events (its count is checkpointed state) and a sink
 * printing every tenth count ("<label>=N", the label its first argument) to the TaskManager's output. After a restart from a checkpoint the count
 * continues from the checkpoint; without one it would start again at 1.
 */
public final class CountingJob {

    private CountingJob() {
    }

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "events";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.addSource(new Counter()).name("counter").setParallelism(1)
                .filter(n -> n % 10 == 0).name("every-tenth")
                .map(n -> label + "=" + n).name("format")
                .print().name("print");
        env.execute("counting");
    }

    /** Emits 1, 2, 3 … every 20 ms; the next number is the operator's state. */
    static final class Counter implements SourceFunction<Long>, CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private volatile boolean running = true;
        private long next = 1;
        private transient ListState<Long> state;

        @Override
        public void run(SourceContext<Long> out) throws Exception {
            while (running) {
                synchronized (out.getCheckpointLock()) {
                    out.collect(next++);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(java.util.List.of(next));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("next", Long.class));
            for (Long restored : state.get()) {
                next = restored;
            }
        }
    }
}
