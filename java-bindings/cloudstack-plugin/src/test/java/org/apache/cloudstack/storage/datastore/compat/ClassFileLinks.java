package org.apache.cloudstack.storage.datastore.compat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one compiled class links against, read from its class file (JVMS §4): the field and
 * method references of its constant pool (what the JVM resolves when the code runs), the classes
 * it names, its supertypes and the methods it declares. This is what a CloudStack release must
 * provide for the class to load and run, independent of the source it was compiled from.
 */
final class ClassFileLinks {
    /** A field or method reference: owner and name as written in the class file, erased types. */
    record Ref(boolean field, String owner, String name, List<String> params, String type) {
        @Override
        public String toString() {
            return field ? owner + "." + name + " : " + type
                    : owner + "." + name + "(" + String.join(",", params) + ") : " + type;
        }
    }

    /** A method the class declares: name, erased parameter types, erased return type, flags. */
    record Declared(String name, List<String> params, String returns, int access) {
        boolean isPublicInstance() {
            return (access & 0x0001) != 0 && (access & 0x0008) == 0 && (access & 0x1000) == 0
                    && !name.startsWith("<");
        }
    }

    final String name;
    final String superName;
    final List<String> interfaces = new ArrayList<>();
    final List<Ref> refs = new ArrayList<>();
    final List<Declared> methods = new ArrayList<>();
    final Set<String> namedTypes = new TreeSet<>();

    private ClassFileLinks(String name, String superName) {
        this.name = name;
        this.superName = superName;
    }

    static ClassFileLinks read(Path classFile) throws IOException {
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            int[] a = new int[count];
            int[] b = new int[count];
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> {
                        a[i] = in.readUnsignedShort();
                        b[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        a[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag + " in " + classFile);
                }
            }
            in.readUnsignedShort();
            String self = javaName(utf8[a[in.readUnsignedShort()]]);
            int superIndex = in.readUnsignedShort();
            ClassFileLinks out = new ClassFileLinks(self, superIndex == 0 ? null : javaName(utf8[a[superIndex]]));
            int interfaceCount = in.readUnsignedShort();
            for (int i = 0; i < interfaceCount; i++) {
                out.interfaces.add(javaName(utf8[a[in.readUnsignedShort()]]));
            }
            for (int i = 1; i < count; i++) {
                if (tags[i] == 7) {
                    String n = utf8[a[i]];
                    out.namedTypes.add(n.startsWith("[") ? typeNames(n).get(0).replace("[]", "") : javaName(n));
                } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                    String owner = utf8[a[a[i]]];
                    String memberName = utf8[a[b[i]]];
                    String descriptor = utf8[b[b[i]]];
                    if (tags[i] == 9) {
                        out.refs.add(new Ref(true, javaName(owner), memberName, List.of(), typeNames(descriptor).get(0)));
                        out.namedTypes.addAll(typeNames(descriptor));
                    } else {
                        List<String> types = methodTypes(descriptor);
                        out.refs.add(new Ref(false, javaName(owner), memberName,
                                types.subList(0, types.size() - 1), types.get(types.size() - 1)));
                        out.namedTypes.addAll(types);
                    }
                }
            }
            readMembers(in, out, utf8, false);
            readMembers(in, out, utf8, true);
            out.namedTypes.removeIf(t -> !t.contains(".") || t.endsWith("[]"));
            return out;
        }
    }

    private static void readMembers(DataInputStream in, ClassFileLinks out, String[] utf8, boolean methods)
            throws IOException {
        int members = in.readUnsignedShort();
        for (int i = 0; i < members; i++) {
            int access = in.readUnsignedShort();
            String memberName = utf8[in.readUnsignedShort()];
            String descriptor = utf8[in.readUnsignedShort()];
            int attributes = in.readUnsignedShort();
            for (int j = 0; j < attributes; j++) {
                in.readUnsignedShort();
                in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
            }
            if (methods) {
                List<String> types = methodTypes(descriptor);
                out.methods.add(new Declared(memberName, types.subList(0, types.size() - 1),
                        types.get(types.size() - 1), access));
                out.namedTypes.addAll(types);
            } else {
                out.namedTypes.addAll(typeNames(descriptor));
            }
        }
    }

    static String javaName(String internal) {
        return internal.replace('/', '.');
    }

    /** @return the parameter types then the return type of a method descriptor, as Java type names */
    static List<String> methodTypes(String descriptor) {
        int close = descriptor.indexOf(')');
        List<String> out = typeNames(descriptor.substring(1, close));
        out.add(typeNames(descriptor.substring(close + 1)).get(0));
        return out;
    }

    /** @return the Java type names of a run of field descriptors ("I" is int, "[J" is long[]) */
    static List<String> typeNames(String descriptors) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < descriptors.length()) {
            int dims = 0;
            while (descriptors.charAt(i) == '[') {
                dims++;
                i++;
            }
            char c = descriptors.charAt(i);
            String t;
            if (c == 'L') {
                int end = descriptors.indexOf(';', i);
                t = javaName(descriptors.substring(i + 1, end));
                i = end + 1;
            } else {
                t = switch (c) {
                    case 'Z' -> "boolean";
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    case 'V' -> "void";
                    default -> throw new IllegalArgumentException("descriptor " + descriptors);
                };
                i++;
            }
            out.add(t + "[]".repeat(dims));
        }
        return out;
    }
}
