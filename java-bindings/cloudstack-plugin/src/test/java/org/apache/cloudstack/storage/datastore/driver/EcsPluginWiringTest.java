package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import com.cloud.agent.api.to.BucketTO;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreProvider.DataStoreProviderType;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.lifecycle.EcsObjectStoreLifeCycleImpl;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** How CloudStack finds and wires the plug-in; none of this reaches the native library. */
class EcsPluginWiringTest {
    private static final String MODULE = "META-INF/cloudstack/storage-object-ecs/";

    @Test
    void moduleDescriptorNamesTheStorageModule() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MODULE + "module.properties")) {
            assertNotNull(in, "module.properties missing");
            p.load(in);
        }
        assertEquals("storage-object-ecs", p.getProperty("name"));
        assertEquals("storage", p.getProperty("parent"));
    }

    @Test
    void springContextDeclaresTheProviderBean() throws Exception {
        Document doc;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream(MODULE + "spring-storage-object-ecs-context.xml")) {
            assertNotNull(in, "Spring context missing");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().parse(in);
        }
        NodeList beans = doc.getElementsByTagNameNS("http://www.springframework.org/schema/beans", "bean");
        assertEquals(1, beans.getLength());
        Class<?> type = Class.forName(((Element) beans.item(0)).getAttribute("class"));
        assertTrue(ObjectStoreProvider.class.isAssignableFrom(type));
        assertNotNull(type.getConstructor().newInstance());
    }

    @Test
    void providerRegistersItsDriverUnderEcs() {
        EcsObjectStoreProviderImpl provider = new EcsObjectStoreProviderImpl();
        CloudStackHarness.start(provider);
        assertEquals("ECS", provider.getName());
        assertEquals(Set.of(DataStoreProviderType.OBJECT), provider.getTypes());
        assertNull(provider.getHostListener());
        assertInstanceOf(EcsObjectStoreDriverImpl.class, provider.getDataStoreDriver());
        assertInstanceOf(EcsObjectStoreLifeCycleImpl.class, provider.getDataStoreLifeCycle());
        EcsObjectStoreDriverImpl driver = (EcsObjectStoreDriverImpl) provider.getDataStoreDriver();
        assertNotNull(driver._bucketDao);
        assertNotNull(driver._accountDetailsDao);
        assertNull(driver.getStoreTO(null));
        assertNull(driver.getBucketAcl(new BucketTO("b"), 1L));
    }

    @Test
    void addStoreWithoutDetailsSaysWhatIsMissing() {
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        StepReport<ObjectStoreVO> r = cs.addObjectStore("ECS", "ecs", "https://ecs:4443", null);
        assertFalse(r.succeeded());
        assertTrue(r.message().startsWith("Failed to add object store: ECS: the object store needs details"),
                r.message());
        assertTrue(r.after().stores().isEmpty());
    }

    @Test
    void unknownStoresAndAccountsAreCloudRuntimeExceptions() {
        EcsObjectStoreProviderImpl provider = new EcsObjectStoreProviderImpl();
        CloudStackHarness cs = CloudStackHarness.start(provider);
        EcsObjectStoreDriverImpl driver = (EcsObjectStoreDriverImpl) provider.getDataStoreDriver();
        CloudRuntimeException noAccount = assertThrows(CloudRuntimeException.class, () -> driver.createUser(42, 1));
        assertEquals("ECS: account 42 not found", noAccount.getMessage());
        long account = cs.createAccount("a").getId();
        CloudRuntimeException noStore = assertThrows(CloudRuntimeException.class,
                () -> driver.createUser(account, 7));
        assertEquals("ECS: object store 7 not found", noStore.getMessage());
        Map<String, Object> empty = new HashMap<>();
        assertThrows(CloudRuntimeException.class, () -> provider.getDataStoreLifeCycle().initialize(empty));
    }
}
