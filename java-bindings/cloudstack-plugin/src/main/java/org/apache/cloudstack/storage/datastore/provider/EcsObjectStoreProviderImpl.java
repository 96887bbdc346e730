package org.apache.cloudstack.storage.datastore.provider;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import com.cloud.utils.component.ComponentContext;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreLifeCycle;
import org.apache.cloudstack.engine.subsystem.api.storage.HypervisorHostListener;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.storage.datastore.driver.EcsObjectStoreDriverImpl;
import org.apache.cloudstack.storage.datastore.lifecycle.EcsObjectStoreLifeCycleImpl;
import org.apache.cloudstack.storage.object.ObjectStoreDriver;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreProviderManager;
import org.apache.cloudstack.storage.object.store.lifecycle.ObjectStoreLifeCycle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The "ECS" object-store provider. CloudStack creates it from the plug-in's Spring context and
 * calls {@link #configure}, which builds the lifecycle and the driver and registers the driver
 * under the provider's name.
 */
public class EcsObjectStoreProviderImpl implements ObjectStoreProvider {
    /** The provider name stored with each store and sent by the UI. */
    public static final String NAME = "ECS";

    /**
     * The module descriptor; the upstream ECS plug-in (CloudStack PR #12124) ships one at the same
     * path, with the same provider name and class names.
     */
    static final String MODULE = "META-INF/cloudstack/storage-object-ecs/module.properties";

    private static final Logger LOG = LogManager.getLogger(EcsObjectStoreProviderImpl.class);

    @Inject
    ObjectStoreProviderManager storeMgr;

    private ObjectStoreLifeCycle lifeCycle;
    private ObjectStoreDriver driver;

    @Override
    public DataStoreLifeCycle getDataStoreLifeCycle() {
        return lifeCycle;
    }

    @Override
    public DataStoreDriver getDataStoreDriver() {
        return driver;
    }

    @Override
    public HypervisorHostListener getHostListener() {
        return null;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean configure(Map<String, Object> params) {
        lifeCycle = ComponentContext.inject(EcsObjectStoreLifeCycleImpl.class);
        driver = ComponentContext.inject(EcsObjectStoreDriverImpl.class);
        storeMgr.registerDriver(getName(), driver);
        List<URL> copies = moduleCopies(getClass().getClassLoader());
        if (copies.size() > 1) {
            LOG.error("ECS: {} copies of the storage-object-ecs module are on the classpath ({}): another ECS"
                    + " plug-in (the upstream one?) shares the provider name and class names; remove all but"
                    + " this plug-in's jars and restart", copies.size(), copies);
        }
        LOG.info("ECS: object-store provider '{}' registered (ecs-cloudstack plug-in, Rust driver over JNI)",
                getName());
        return true;
    }

    /**
     * Logs every store of the driver out of ECS: the Spring context calls it when the management
     * server stops ({@code destroy-method="close"}), so no ECS session outlives the server.
     */
    public void close() {
        if (driver instanceof EcsObjectStoreDriverImpl ecs) {
            ecs.close();
        }
    }

    /**
     * @param loader the class loader to search
     * @return every copy of the module descriptor {@code loader} sees (one when only this plug-in
     *         is installed)
     */
    static List<URL> moduleCopies(ClassLoader loader) {
        try {
            return new ArrayList<>(Collections.list(loader.getResources(MODULE)));
        } catch (IOException e) {
            LOG.warn("ECS: cannot list the classpath's module descriptors: {}", e.getMessage());
            return List.of();
        }
    }

    @Override
    public Set<DataStoreProviderType> getTypes() {
        return new HashSet<>(EnumSet.of(DataStoreProviderType.OBJECT));
    }
}
