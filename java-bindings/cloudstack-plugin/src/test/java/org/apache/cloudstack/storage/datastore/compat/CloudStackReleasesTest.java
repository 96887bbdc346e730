package org.apache.cloudstack.storage.datastore.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.cloudstack.storage.datastore.driver.EcsObjectStoreDriverImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The plug-in against the CloudStack release lines operators run. For each line, the
 * declarations recorded in {@code cloudstack-signatures/<line>.txt} (from apache/cloudstack,
 * sources in each file's header) are compared with what the compiled plug-in links against,
 * read from its class files:
 * <ul>
 *   <li>every CloudStack type it names exists on the line (else NoClassDefFoundError);</li>
 *   <li>every field and method it references resolves there, with the same erased types (else
 *       NoSuchMethodError / NoSuchFieldError);</li>
 *   <li>every abstract method of the interfaces it implements is implemented (else
 *       AbstractMethodError);</li>
 *   <li>a method it declares as an override but the line's interface lacks is reported: harmless
 *       as a plain method, but CloudStack will never call it.</li>
 * </ul>
 * A line is supported exactly when the first three find nothing; the recorded status and the
 * README's matrix must say the same. The stand-ins (cloudstack-api) must declare what the
 * plug-in touches where each supported line declares it.
 */
class CloudStackReleasesTest {
    static final List<String> LINES = List.of("4.19", "4.20", "4.21", "4.22", "main");
    private static final Set<String> PLUGIN_PACKAGES = Set.of(
            "org.apache.cloudstack.storage.datastore.driver",
            "org.apache.cloudstack.storage.datastore.lifecycle",
            "org.apache.cloudstack.storage.datastore.provider");

    private static final List<ClassFileLinks> PLUGIN = new ArrayList<>();

    /**
     * The extension ahead of CloudStack (apache/cloudstack PR #14170, see the stand-in
     * {@code BucketCredentialsDriver}): absent from every line on purpose. The JVM resolves a
     * type named only in a method's signature or body when that code runs, and CloudStack calls
     * these methods only once its {@code ObjectStoreDriver} declares them, so their absence is
     * reported as "ahead", never as breaking.
     */
    static final Set<String> AHEAD = Set.of(
            "org.apache.cloudstack.storage.object.BucketCredentialsDriver",
            "com.cloud.agent.api.to.BucketCredentialTO",
            "com.cloud.agent.api.to.BucketKeyTO");

    @BeforeAll
    static void readPluginClasses() throws IOException, URISyntaxException {
        Path root = Path.of(EcsObjectStoreDriverImpl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                ClassFileLinks c = ClassFileLinks.read(p);
                if (isPlugin(c.name)) {
                    PLUGIN.add(c);
                }
            }
        }
        assertTrue(PLUGIN.stream().anyMatch(c -> c.name.endsWith(".EcsObjectStoreDriverImpl")), "plug-in classes found");
    }

    static boolean isPlugin(String type) {
        int dot = type.lastIndexOf('.');
        return dot > 0 && PLUGIN_PACKAGES.contains(type.substring(0, dot));
    }

    static boolean isCloudStack(String type) {
        return !isPlugin(type) && (type.startsWith("com.cloud.") || type.startsWith("org.apache.cloudstack.")
                || type.startsWith("com.amazonaws."));
    }

    /** What stops the plug-in from loading or running on a line, and what is merely different. */
    record Findings(List<String> breaking, List<String> notes, List<String> ahead) {
    }

    /** Whether {@code type} belongs to the extension ahead of CloudStack and {@code line} lacks it. */
    static boolean ahead(ReleaseSignatures line, String type) {
        return AHEAD.contains(type) && !line.types.containsKey(type);
    }

    /** Whether a plug-in method implements a method of the extension ahead of CloudStack. */
    static boolean implementsAhead(ReleaseSignatures line, ClassFileLinks.Declared d) throws ClassNotFoundException {
        for (String type : AHEAD) {
            if (!ahead(line, type)) {
                continue;
            }
            for (Method m : Class.forName(type).getDeclaredMethods()) {
                if (m.getName().equals(d.name()) && names(m.getParameterTypes()).equals(d.params())) {
                    return true;
                }
            }
        }
        return false;
    }

    static Findings check(ReleaseSignatures line) throws ClassNotFoundException {
        List<String> breaking = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> ahead = new ArrayList<>();
        Set<String> missingTypes = new TreeSet<>();
        for (ClassFileLinks c : PLUGIN) {
            c.namedTypes.stream().filter(CloudStackReleasesTest::isCloudStack)
                    .filter(t -> !line.types.containsKey(t)).forEach(missingTypes::add);
        }
        for (String t : missingTypes) {
            (ahead(line, t) ? ahead : breaking).add("type " + t + " is not there");
        }

        for (Touched t : touched()) {
            if (ahead(line, t.owner)) {
                ahead.add("no " + describe(t) + " (used by " + simple(t.from) + ")");
                continue;
            }
            if (line.resolve(t.owner, t.ref.field(), t.ref.name(), t.ref.params(), t.ref.type()).isEmpty()) {
                breaking.add("no " + describe(t) + " (used by " + simple(t.from) + ")");
            }
        }

        for (ClassFileLinks c : PLUGIN) {
            List<String> supers = new ArrayList<>(c.interfaces);
            if (c.superName != null) {
                supers.add(c.superName);
            }
            Set<String> closure = new java.util.LinkedHashSet<>();
            supers.stream().filter(CloudStackReleasesTest::isCloudStack).forEach(s -> closure.addAll(line.closure(s)));
            for (String s : closure) {
                ReleaseSignatures.Type type = line.types.get(s);
                if (type == null || !type.isInterface() || !type.complete) {
                    continue;
                }
                for (ReleaseSignatures.Member m : type.members.values()) {
                    if (m.field() || m.isStatic() || implemented(c, closure, line, m)) {
                        continue;
                    }
                    breaking.add(simple(c.name) + " does not implement " + m + " (AbstractMethodError when called)");
                }
            }
            for (ClassFileLinks.Declared d : c.methods) {
                if (!d.isPublicInstance() || !overridesStandIn(c, d)) {
                    continue;
                }
                boolean there = closure.stream().anyMatch(
                        s -> line.resolve(s, false, d.name(), d.params(), d.returns()).isPresent());
                if (!there && implementsAhead(line, d)) {
                    ahead.add(simple(c.name) + "." + d.name() + " waits for CloudStack to declare it");
                } else if (!there) {
                    notes.add(simple(c.name) + "." + d.name() + "(" + String.join(",", d.params())
                            + ") overrides nothing on this line (a plain method CloudStack never calls)");
                }
            }
        }
        return new Findings(breaking, notes, ahead);
    }

    private static boolean implemented(ClassFileLinks c, Set<String> closure, ReleaseSignatures line,
            ReleaseSignatures.Member m) {
        boolean own = c.methods.stream().anyMatch(d -> d.name().equals(m.name()) && d.params().equals(m.params())
                && d.returns().equals(m.returns()) && (d.access() & Modifier.ABSTRACT) == 0);
        if (own) {
            return true;
        }
        return closure.stream().map(line.types::get).filter(t -> t != null && !t.isInterface())
                .anyMatch(t -> t.members.containsKey(m.key()));
    }

    private static boolean overridesStandIn(ClassFileLinks c, ClassFileLinks.Declared d) {
        try {
            Class<?> type = Class.forName(c.name);
            List<Class<?>> supers = new ArrayList<>(Arrays.asList(type.getInterfaces()));
            if (type.getSuperclass() != null) {
                supers.add(type.getSuperclass());
            }
            supers.removeIf(s -> !isCloudStack(s.getName()));
            for (Class<?> s : supers) {
                for (Method m : s.getMethods()) {
                    if (m.getName().equals(d.name()) && names(m.getParameterTypes()).equals(d.params())) {
                        return true;
                    }
                }
                for (Method m : s.getDeclaredMethods()) {
                    if (m.getName().equals(d.name()) && names(m.getParameterTypes()).equals(d.params())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CloudStack member the plug-in references, with the class that declares it in the stand-ins. */
    record Touched(String from, String owner, ClassFileLinks.Ref ref) {
    }

    /**
     * @return every field and method reference into CloudStack, with references the plug-in makes
     *     through its own classes (an inherited field such as {@code logger}) moved to the stand-in
     *     class that declares them
     */
    static List<Touched> touched() throws ClassNotFoundException {
        Map<String, Touched> out = new LinkedHashMap<>();
        for (ClassFileLinks c : PLUGIN) {
            for (ClassFileLinks.Ref r : c.refs) {
                String owner = r.owner();
                if (isPlugin(owner)) {
                    Optional<Class<?>> declaring = declaringClass(Class.forName(owner), r);
                    if (declaring.isEmpty() || isPlugin(declaring.get().getName())) {
                        continue;
                    }
                    owner = declaring.get().getName();
                }
                if (isCloudStack(owner)) {
                    out.putIfAbsent(owner + "." + r, new Touched(c.name, owner, r));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    static Optional<Class<?>> declaringClass(Class<?> from, ClassFileLinks.Ref r) {
        List<Class<?>> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(0);
            if (r.field()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getName().equals(r.name()) && f.getType().getTypeName().equals(r.type())) {
                        return Optional.of(c);
                    }
                }
            } else if (r.name().equals("<init>")) {
                boolean found = Arrays.stream(c.getDeclaredConstructors())
                        .anyMatch(k -> names(k.getParameterTypes()).equals(r.params()));
                if (found) {
                    return Optional.of(c);
                }
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(r.name()) && names(m.getParameterTypes()).equals(r.params())
                            && m.getReturnType().getTypeName().equals(r.type())) {
                        return Optional.of(c);
                    }
                }
            }
            if (!r.name().equals("<init>")) {
                if (c.getSuperclass() != null) {
                    todo.add(c.getSuperclass());
                }
                todo.addAll(Arrays.asList(c.getInterfaces()));
            }
        }
        return Optional.empty();
    }

    static List<String> names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getTypeName).toList();
    }

    static String describe(Touched t) {
        ClassFileLinks.Ref r = t.ref;
        return r.field() ? "field " + r.type() + " " + t.owner + "." + r.name()
                : "method " + r.type() + " " + t.owner + "." + r.name() + "(" + String.join(",", r.params()) + ")";
    }

    static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.19", "4.20", "4.21", "4.22", "main"})
    void pluginLinksOnEverySupportedLineAndTheStatusSaysSo(String lineName) throws Exception {
        ReleaseSignatures line = ReleaseSignatures.load(lineName);
        Findings f = check(line);
        StringBuilder report = new StringBuilder("CloudStack " + lineName + " (" + line.status + ")");
        f.breaking.forEach(b -> report.append("\n  breaking: ").append(b));
        f.notes.forEach(n -> report.append("\n  note: ").append(n));
        f.ahead.forEach(n -> report.append("\n  ahead of CloudStack: ").append(n));
        System.out.println(report);
        assertEquals(line.supported(), f.breaking.isEmpty(),
                "recorded status disagrees with what the plug-in links against: " + report);
        if (line.supported()) {
            assertTrue(f.notes.isEmpty(), report::toString);
        }
    }

    @Test
    void theScanSeesWhatThePluginUses() throws Exception {
        List<String> refs = touched().stream().map(CloudStackReleasesTest::describe).toList();
        assertTrue(refs.contains("method java.lang.String com.cloud.agent.api.to.BucketTO.getName()"), refs::toString);
        assertTrue(refs.contains("field org.apache.logging.log4j.Logger "
                + "org.apache.cloudstack.storage.object.BaseObjectStoreDriverImpl.logger"), refs::toString);
        assertTrue(refs.contains("method boolean org.apache.cloudstack.storage.object.datastore.ObjectStoreProviderManager"
                + ".registerDriver(java.lang.String,org.apache.cloudstack.storage.object.ObjectStoreDriver)"),
                refs::toString);
        assertFalse(refs.stream().anyMatch(r -> r.contains("io.ecscloudstack")), refs::toString);
    }

    @Test
    void theExtensionAheadOfCloudStackIsReportedButNotBreaking() throws Exception {
        Findings f = check(ReleaseSignatures.load("main"));
        assertTrue(f.ahead.stream().anyMatch(a -> a.contains("createBucketCredentialKey")), f.ahead::toString);
        assertTrue(f.ahead.stream().anyMatch(a -> a.contains("type com.cloud.agent.api.to.BucketKeyTO")),
                f.ahead::toString);
        assertTrue(f.breaking.isEmpty() && f.notes.isEmpty(), f.breaking + " " + f.notes);
    }

    @Test
    void aMissingMethodOrAnUnimplementedInterfaceMethodIsBreaking() throws Exception {
        ReleaseSignatures line = ReleaseSignatures.load("main");
        line.types.get("com.cloud.user.AccountDetailsDao").members.remove("update(long,java.util.Map)");
        line.types.get("org.apache.cloudstack.storage.object.ObjectStoreDriver").members.put("rotateAccountKey(long,long)",
                new ReleaseSignatures.Member("org.apache.cloudstack.storage.object.ObjectStoreDriver", false, false,
                        "boolean", "rotateAccountKey", List.of("long", "long")));
        List<String> breaking = check(line).breaking;
        assertTrue(breaking.stream().anyMatch(b -> b.contains("AccountDetailsDao.update(long,java.util.Map)")),
                breaking::toString);
        assertTrue(breaking.stream().anyMatch(b -> b.contains("does not implement boolean")
                && b.contains("rotateAccountKey(long,long)")), breaking::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.19", "4.20", "4.21", "4.22", "main"})
    void standInsDeclareWhatThePluginTouchesWhereTheLineDoes(String lineName) throws Exception {
        ReleaseSignatures line = ReleaseSignatures.load(lineName);
        if (!line.supported()) {
            return;
        }
        List<String> wrong = new ArrayList<>();
        for (Touched t : touched()) {
            Optional<ReleaseSignatures.Member> there = line.resolve(t.owner, t.ref.field(), t.ref.name(),
                    t.ref.params(), t.ref.type());
            Optional<Class<?>> standIn = declaringClass(Class.forName(t.owner), t.ref);
            if (there.isPresent() && standIn.isPresent() && !there.get().owner().equals(standIn.get().getName())) {
                wrong.add(describe(t) + ": declared by " + standIn.get().getName() + " in the stand-ins, by "
                        + there.get().owner() + " in CloudStack " + lineName);
            }
        }
        for (ReleaseSignatures.Type type : line.types.values()) {
            if (!type.isInterface() || !type.complete) {
                continue;
            }
            Set<String> recorded = type.members.values().stream().filter(m -> !m.field())
                    .map(m -> m.returns() + " " + m.key()).collect(Collectors.toCollection(TreeSet::new));
            Set<String> standIn = Arrays.stream(Class.forName(type.name).getDeclaredMethods())
                    .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                    .map(m -> m.getReturnType().getTypeName() + " " + m.getName() + "("
                            + String.join(",", names(m.getParameterTypes())) + ")")
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!recorded.equals(standIn)) {
                wrong.add(type.name + ": stand-in declares " + standIn + ", CloudStack " + lineName + " " + recorded);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void readmeMatrixMatchesTheRecordedStatus() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path readme = null;
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("README.md")) && Files.exists(d.resolve("Cargo.toml"))) {
                readme = d.resolve("README.md");
                break;
            }
        }
        assertTrue(readme != null, "the repository README from " + dir);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        for (String lineName : LINES) {
            ReleaseSignatures line = ReleaseSignatures.load(lineName);
            Matcher m = Pattern.compile("^\\| (?:CloudStack )?" + Pattern.quote(lineName) + "(?:\\.x)? \\| (yes|no)\\b",
                    Pattern.MULTILINE).matcher(text);
            assertTrue(m.find(), "README has no matrix row for " + lineName);
            assertEquals(line.supported() ? "yes" : "no", m.group(1), "README row for " + lineName);
        }
    }
}
