package org.conpaas.core.internal.persistence;

import java.net.URL;
import java.util.List;
import java.util.Properties;
import javax.persistence.SharedCacheMode;
import javax.persistence.ValidationMode;
import javax.persistence.spi.ClassTransformer;
import javax.persistence.spi.PersistenceUnitInfo;
import javax.persistence.spi.PersistenceUnitTransactionType;
import javax.sql.DataSource;
import org.conpaas.core.internal.accounts.UserEntity;
import org.conpaas.core.internal.code.CodeVersionEntity;
import org.conpaas.core.internal.credit.ChargeEntity;

/**
 * The director's persistence unit, described in code rather than in a persistence.xml: the director builds its
 * EntityManagerFactory itself ({@link HibernateDatabase}) because Aries JPA's container built it twice (a throw-away
 * build without a database "to allow weaving", which we do not use, then the real one): about 4 s of boot. Unit
 * tests build the same unit on an embedded database ({@code TestDatabase}).
 */
public final class DirectorPersistenceUnit implements PersistenceUnitInfo {
    static final String NAME = "conpaas";
    static final List<String> ENTITIES = List.of(ApplicationEntity.class.getName(), ServiceEntity.class.getName(),
            NodeEntity.class.getName(), StateChangeEntity.class.getName(), ManagerStateEntity.class.getName(),
            VolumeEntity.class.getName(), ChargeEntity.class.getName(), UserEntity.class.getName(),
            CodeVersionEntity.class.getName());

    private final DataSource dataSource;
    private final ClassLoader classLoader;

    /** {@code dataSource} null: the caller passes javax.persistence.jdbc.* properties instead (unit tests). */
    public DirectorPersistenceUnit(DataSource dataSource) {
        this.dataSource = dataSource;
        // In OSGi, the bundle's class loader: Hibernate's OSGi provider needs it to be a BundleReference.
        this.classLoader = DirectorPersistenceUnit.class.getClassLoader();
    }

    @Override
    public String getPersistenceUnitName() {
        return NAME;
    }

    @Override
    public String getPersistenceProviderClassName() {
        return "org.hibernate.jpa.HibernatePersistenceProvider";
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
        return null;   // nothing to scan: the entities are listed
    }

    @Override
    public List<String> getManagedClassNames() {
        return ENTITIES;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.UNSPECIFIED;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        Properties properties = new Properties();
        properties.setProperty("hibernate.dialect", "org.hibernate.dialect.DerbyTenSevenDialect");
        properties.setProperty("hibernate.hbm2ddl.auto", "update");
        // create=true in the URL makes Derby warn on every new connection that the database already exists
        properties.setProperty("hibernate.jdbc.log.warnings", "false");
        // No class scanning: the entities are listed (and the unit has no root URL to scan).
        properties.setProperty("hibernate.archive.autodetection", "");
        // Without a session context class Hibernate's OSGi JTA platform waits a whole second at every build for a
        // transaction manager service to decide whether to default to "jta". The unit is RESOURCE_LOCAL and the
        // director never calls getCurrentSession(), so the choice itself does not matter.
        properties.setProperty("hibernate.current_session_context_class", "thread");
        return properties;
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "2.2";
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
        // Hibernate registers a transformer only for bytecode enhancement, which the director does not switch on.
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return classLoader;
    }
}
