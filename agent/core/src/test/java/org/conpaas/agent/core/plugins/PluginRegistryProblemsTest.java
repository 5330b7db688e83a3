package org.conpaas.agent.core.plugins;

import static org.conpaas.agent.core.plugins.FakeReferences.reference;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.conpaas.api.agent.AgentPlugin;
import org.junit.Test;

public class PluginRegistryProblemsTest {

    private final PluginRegistry registry = new PluginRegistry();

    @Test
    public void eachPluginSaysInOneBoundedLineWhatIsWrongAndAFailingOneIsAProblemToo() {
        registry.addPlugin(plugin(Optional.empty()), reference("helloworld"));
        assertEquals("all well: nothing said", Map.of(), registry.problems());

        registry.addPlugin(plugin(Optional.of("mariadbd exited:\n  InnoDB: out of space\n")), reference("mysql"));
        registry.addPlugin(plugin(Optional.of("x".repeat(2_000))), reference("php"));
        registry.addPlugin(new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                return null;
            }

            @Override
            public Optional<String> problem() {
                throw new IllegalStateException("broken");
            }
        }, reference("flink"));

        Map<String, String> problems = registry.problems();
        assertEquals("mariadbd exited:; InnoDB: out of space", problems.get("mysql"));
        assertEquals(PluginRegistry.MAX_PROBLEM_CHARS, problems.get("php").length());
        assertTrue(problems.get("flink"), problems.get("flink").startsWith("the flink plug-in cannot say how the node "
                + "is: java.lang.IllegalStateException: broken"));
        assertEquals(3, problems.size());
    }

    @Test
    public void figuresOfAllPluginsAreMergedWellNamedFiniteAndBounded() {
        registry.addPlugin(figures(Map.of("requests_total", 12.0, "Bad-Name", 1.0, "nan_gauge", Double.NaN)),
                reference("php"));
        registry.addPlugin(new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                return null;
            }

            @Override
            public Map<String, Double> metrics() {
                throw new IllegalStateException("mariadb does not answer");
            }
        }, reference("mysql"));
        assertEquals(Map.of("requests_total", 12.0), registry.metrics());

        Map<String, Double> many = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put("figure_" + i, (double) i);
        }
        registry.addPlugin(figures(many), reference("flink"));
        assertEquals(AgentPlugin.MAX_METRICS, registry.metrics().size());
    }

    private static AgentPlugin figures(Map<String, Double> figures) {
        return new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                return null;
            }

            @Override
            public Map<String, Double> metrics() {
                return figures;
            }
        };
    }

    private static AgentPlugin plugin(Optional<String> problem) {
        return new AgentPlugin() {
            @Override
            public Object invoke(String operation, Map<String, Object> params, Map<String, Path> files) {
                return null;
            }

            @Override
            public Optional<String> problem() {
                return problem;
            }
        };
    }
}
