package io.ecscloudstack.cloudstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreLifeCycle;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreProvider;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.storage.object.BaseObjectStoreDriverImpl;
import org.apache.cloudstack.storage.object.ObjectStoreDriver;
import org.apache.cloudstack.storage.object.store.lifecycle.ObjectStoreLifeCycle;
import org.junit.jupiter.api.Test;

/**
 * The interfaces a plug-in implements must match CloudStack main exactly (an extra or different
 * method would compile here and fail in CloudStack): their declared methods, as generic
 * signatures, against cloudstack-java-signatures.md.
 */
class ImplementedInterfacesTest {

    private static Set<String> declared(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> !m.isSynthetic())
                .map(Method::toGenericString)
                .map(s -> s.replace("public abstract ", "").replace(type.getName() + ".", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void objectStoreDriverHasExactlyItsFifteenMethods() {
        assertEquals(new TreeSet<>(Set.of(
                "org.apache.cloudstack.storage.object.Bucket createBucket(org.apache.cloudstack.storage.object.Bucket,boolean)",
                "java.util.List<org.apache.cloudstack.storage.object.Bucket> listBuckets(long)",
                "boolean deleteBucket(com.cloud.agent.api.to.BucketTO,long)",
                "com.amazonaws.services.s3.model.AccessControlList getBucketAcl(com.cloud.agent.api.to.BucketTO,long)",
                "void setBucketAcl(com.cloud.agent.api.to.BucketTO,com.amazonaws.services.s3.model.AccessControlList,long)",
                "void setBucketPolicy(com.cloud.agent.api.to.BucketTO,java.lang.String,long)",
                "com.amazonaws.services.s3.model.BucketPolicy getBucketPolicy(com.cloud.agent.api.to.BucketTO,long)",
                "void deleteBucketPolicy(com.cloud.agent.api.to.BucketTO,long)",
                "boolean createUser(long,long)",
                "boolean setBucketEncryption(com.cloud.agent.api.to.BucketTO,long)",
                "boolean deleteBucketEncryption(com.cloud.agent.api.to.BucketTO,long)",
                "boolean setBucketVersioning(com.cloud.agent.api.to.BucketTO,long)",
                "boolean deleteBucketVersioning(com.cloud.agent.api.to.BucketTO,long)",
                "void setBucketQuota(com.cloud.agent.api.to.BucketTO,long,long)",
                "java.util.Map<java.lang.String, java.lang.Long> getAllBucketsUsage(long)")),
                declared(ObjectStoreDriver.class));
        assertEquals(Set.of(DataStoreDriver.class), Set.of(ObjectStoreDriver.class.getInterfaces()));
    }

    @Test
    void dataStoreDriverHasExactlyItsNineMethods() {
        assertEquals(9, declared(DataStoreDriver.class).size());
        assertTrue(declared(DataStoreDriver.class).contains(
                "com.cloud.agent.api.to.DataStoreTO getStoreTO(org.apache.cloudstack.engine.subsystem.api.storage.DataStore)"));
    }

    @Test
    void lifecycleAndProviderInterfacesMatch() {
        assertEquals(0, ObjectStoreLifeCycle.class.getDeclaredMethods().length);
        assertEquals(0, ObjectStoreProvider.class.getDeclaredMethods().length);
        assertEquals(8, declared(DataStoreLifeCycle.class).size());
        assertEquals(new TreeSet<>(Set.of(
                "org.apache.cloudstack.engine.subsystem.api.storage.DataStoreLifeCycle getDataStoreLifeCycle()",
                "org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver getDataStoreDriver()",
                "org.apache.cloudstack.engine.subsystem.api.storage.HypervisorHostListener getHostListener()",
                "java.lang.String getName()",
                "boolean configure(java.util.Map<java.lang.String, java.lang.Object>)",
                "java.util.Set<org.apache.cloudstack.engine.subsystem.api.storage.DataStoreProvider$DataStoreProviderType> getTypes()")),
                declared(DataStoreProvider.class));
    }

    @Test
    void baseDriverLeavesExactlyTheObjectStoreMethodsAndGetStoreToAbstract() throws Exception {
        assertTrue(Modifier.isAbstract(BaseObjectStoreDriverImpl.class.getModifiers()));
        assertEquals(0, BaseObjectStoreDriverImpl.class.getDeclaredConstructor().getParameterCount());
        long concrete = Arrays.stream(BaseObjectStoreDriverImpl.class.getDeclaredMethods())
                .filter(m -> !Modifier.isAbstract(m.getModifiers()))
                .count();
        assertEquals(8, concrete);
        assertEquals("logger", BaseObjectStoreDriverImpl.class.getDeclaredField("logger").getName());
        assertTrue(Modifier.isProtected(BaseObjectStoreDriverImpl.class.getDeclaredField("logger").getModifiers()));
    }
}
