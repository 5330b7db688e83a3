package org.conpaas.core.internal.persistence;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.persistence.EntityManager;
import org.apache.aries.jpa.template.EmConsumer;
import org.apache.aries.jpa.template.EmFunction;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.junit.Test;

public class AriesTransactionsTest {

    /** Counts the transactions Aries would begin; each gets an EntityManager of its own. */
    private static final class CountingTemplate implements JpaTemplate {
        final List<EntityManager> begun = new ArrayList<>();

        @Override
        public <R> R txExpr(TransactionType type, EmFunction<R> code) {
            assertEquals(TransactionType.Required, type);
            EntityManager em = (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {EntityManager.class}, (proxy, method, args) -> {
                        if (method.getName().equals("hashCode")) {
                            return System.identityHashCode(proxy);
                        }
                        if (method.getName().equals("equals")) {
                            return proxy == args[0];
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            begun.add(em);
            return code.apply(em);
        }

        @Override
        public void tx(TransactionType type, EmConsumer code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R txExpr(EmFunction<R> code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void tx(EmConsumer code) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    public void aNestedCallJoinsTheOuterTransactionAndEntityManager() {
        CountingTemplate jpa = new CountingTemplate();
        Transactions tx = new AriesTransactions(jpa);
        AtomicReference<EntityManager> inner = new AtomicReference<>();

        EntityManager outer = tx.call(em -> {
            tx.run(inner::set);
            return em;
        });

        assertEquals("one transaction, not one per call", 1, jpa.begun.size());
        assertSame(outer, inner.get());
    }

    @Test
    public void callsAfterAnOuterCallEndedBeginTheirOwnTransaction() {
        CountingTemplate jpa = new CountingTemplate();
        Transactions tx = new AriesTransactions(jpa);

        EntityManager first = tx.call(em -> em);
        EntityManager second = tx.call(em -> em);

        assertEquals(2, jpa.begun.size());
        assertNotSame(first, second);
    }

    @Test
    public void aFailedOuterCallLeavesNoEntityManagerBehindForTheThread() {
        CountingTemplate jpa = new CountingTemplate();
        Transactions tx = new AriesTransactions(jpa);

        assertThrows(IllegalStateException.class, () -> tx.run(em -> {
            throw new IllegalStateException("work failed");
        }));
        tx.run(em -> { });

        assertEquals("the call after the failure began its own transaction", 2, jpa.begun.size());
    }

    @Test
    public void anotherThreadDoesNotJoinTheTransaction() throws InterruptedException {
        CountingTemplate jpa = new CountingTemplate();
        Transactions tx = new AriesTransactions(jpa);
        AtomicReference<EntityManager> other = new AtomicReference<>();

        EntityManager outer = tx.call(em -> {
            Thread thread = new Thread(() -> tx.run(other::set));
            thread.start();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return em;
        });

        assertEquals(2, jpa.begun.size());
        assertNotSame(outer, other.get());
    }
}
