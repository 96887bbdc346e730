package org.apache.cloudstack.storage.datastore.provider;

import java.util.EnumSet;
import java.util.HashSet;
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

/**
 * The "ECS" object-store provider. CloudStack creates it from the plug-in's Spring context and
 * calls {@link #configure}, which builds the lifecycle and the driver and registers the driver
 * under the provider's name.
 */
public class EcsObjectStoreProviderImpl implements ObjectStoreProvider {
    /** The provider name stored with each store and sent by the UI. */
    public static final String NAME = "ECS";

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
        return true;
    }

    @Override
    public Set<DataStoreProviderType> getTypes() {
        return new HashSet<>(EnumSet.of(DataStoreProviderType.OBJECT));
    }
}
