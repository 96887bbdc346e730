package org.apache.cloudstack.storage.datastore.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard against a second ECS plug-in (same module, provider name and classes) on the classpath. */
class ModuleCopiesTest {
    private static Path module(Path root) throws Exception {
        Path file = root.resolve(EcsObjectStoreProviderImpl.MODULE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "name=storage-object-ecs\nparent=storage\n");
        return root;
    }

    @Test
    void thisPluginAloneIsOneCopy() {
        assertEquals(1, EcsObjectStoreProviderImpl.moduleCopies(getClass().getClassLoader()).size());
    }

    @Test
    void aSecondPluginWithTheSameModuleIsSeen(@TempDir Path ours, @TempDir Path upstream) throws Exception {
        URL[] roots = {module(ours).toUri().toURL(), module(upstream).toUri().toURL()};
        try (URLClassLoader both = new URLClassLoader(roots, null)) {
            assertEquals(2, EcsObjectStoreProviderImpl.moduleCopies(both).size());
        }
    }
}
