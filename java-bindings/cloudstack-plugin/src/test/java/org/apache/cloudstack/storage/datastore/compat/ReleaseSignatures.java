package org.apache.cloudstack.storage.datastore.compat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudStack declarations one release line provides, as recorded in
 * {@code cloudstack-signatures/<line>.txt}: each type with its supertypes and the members the
 * plug-in can reach (erased Java types). A type marked {@code complete} lists every abstract
 * method, so a class implementing it can be checked for methods it lacks.
 */
final class ReleaseSignatures {
    /** One recorded member; {@code returns} is the field type for a field. */
    record Member(String owner, boolean field, boolean isStatic, String returns, String name, List<String> params) {
        String key() {
            return field ? name : name + "(" + String.join(",", params) + ")";
        }

        @Override
        public String toString() {
            return returns + " " + owner + "." + key();
        }
    }

    /** One recorded type. */
    static final class Type {
        final String name;
        final String kind;
        final List<String> supers;
        final boolean complete;
        final Map<String, Member> members = new LinkedHashMap<>();

        Type(String name, String kind, List<String> supers, boolean complete) {
            this.name = name;
            this.kind = kind;
            this.supers = supers;
            this.complete = complete;
        }

        boolean isInterface() {
            return kind.equals("interface");
        }
    }

    final String line;
    final String status;
    final Map<String, Type> types = new LinkedHashMap<>();

    private ReleaseSignatures(String line, String status) {
        this.line = line;
        this.status = status;
    }

    boolean supported() {
        return status.equals("supported");
    }

    static ReleaseSignatures load(String line) throws IOException {
        String resource = "/cloudstack-signatures/" + line + ".txt";
        String text;
        try (InputStream in = ReleaseSignatures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String recordedLine = null;
        String status = null;
        for (String l : text.split("\n")) {
            if (l.startsWith("# line: ")) {
                recordedLine = l.substring(8).trim();
            } else if (l.startsWith("# status: ")) {
                status = l.substring(10).trim();
            }
        }
        if (!line.equals(recordedLine) || status == null) {
            throw new IOException(resource + " needs '# line: " + line + "' and '# status:' header lines");
        }
        ReleaseSignatures out = new ReleaseSignatures(line, status);
        Type current = null;
        for (String raw : text.split("\n")) {
            if (raw.isBlank() || raw.startsWith("#")) {
                continue;
            }
            if (!raw.startsWith(" ")) {
                List<String> words = new ArrayList<>(Arrays.asList(raw.trim().split("\\s+")));
                boolean complete = words.remove("complete");
                List<String> supers = List.of();
                if (words.size() == 4 && (words.get(2).equals("extends") || words.get(2).equals("implements"))) {
                    supers = List.of(words.get(3).split(","));
                } else if (words.size() != 2) {
                    throw new IOException(resource + ": cannot read type line '" + raw + "'");
                }
                current = new Type(words.get(1), words.get(0), supers, complete);
                out.types.put(current.name, current);
                continue;
            }
            if (current == null) {
                throw new IOException(resource + ": member before any type: '" + raw + "'");
            }
            String l = raw.trim();
            boolean isStatic = l.startsWith("static ");
            if (isStatic) {
                l = l.substring(7);
            }
            Member m;
            if (l.startsWith("field ")) {
                String[] w = l.substring(6).split(" ");
                m = new Member(current.name, true, isStatic, w[0], w[1], List.of());
            } else {
                int space = l.indexOf(' ');
                int open = l.indexOf('(');
                String params = l.substring(open + 1, l.length() - 1);
                m = new Member(current.name, false, isStatic, l.substring(0, space), l.substring(space + 1, open),
                        params.isEmpty() ? List.of() : List.of(params.split(",")));
            }
            current.members.put(m.key(), m);
        }
        return out;
    }

    /**
     * Resolves a member the way the JVM does: the owner, then its supertypes (constructors only in
     * the owner itself).
     *
     * @return the recorded member, if this line provides it
     */
    Optional<Member> resolve(String owner, boolean field, String name, List<String> params, String type) {
        String key = field ? name : name + "(" + String.join(",", params) + ")";
        Deque<String> todo = new ArrayDeque<>(List.of(owner));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Type t = types.get(todo.poll());
            if (t == null || !seen.add(t.name)) {
                continue;
            }
            Member m = t.members.get(key);
            if (m != null && m.returns.equals(type)) {
                return Optional.of(m);
            }
            if (!name.equals("<init>")) {
                todo.addAll(t.supers);
            }
        }
        return Optional.empty();
    }

    /** @return every recorded supertype of {@code type}, itself included */
    Set<String> closure(String type) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(type));
        while (!todo.isEmpty()) {
            String t = todo.poll();
            if (out.add(t) && types.containsKey(t)) {
                todo.addAll(types.get(t).supers);
            }
        }
        return out;
    }
}
