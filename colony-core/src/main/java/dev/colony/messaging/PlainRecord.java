package dev.colony.messaging;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The shape of a plain record, one that the codec writes and reads without Jackson's data binding (ADR
 * 0062): a record with no annotations anywhere and no type parameters, whose components are {@code
 * String}, {@code double}, {@code long}, {@code int}, {@code boolean}, their boxes, other plain records,
 * or {@code List}s of these. Every other type, and any record that Jackson would bind in its own way (an
 * annotation, a getter beside the components, a recursive type), is not plain and keeps Jackson's
 * binding.
 *
 * <p>Writing gives the JSON Jackson gives (component order, strings escaped the same way, NaN and the
 * infinities as strings). Reading accepts only the plain form: every component present once, no other
 * property, each value of the component's own JSON type, and gives up with {@link #FALLBACK} otherwise,
 * so that a message Jackson would coerce, default or refuse goes to Jackson's path and gets Jackson's
 * result. A list is read into an {@link ArrayList}, as Jackson reads it.
 *
 * <p>Shapes are computed once per class and cached; instances are immutable and thread-safe.
 */
final class PlainRecord {
    /** The signal to leave a message to Jackson's path; carries no stack trace, it is control flow. */
    static final Fallback FALLBACK = new Fallback();

    static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Fallback() {
            super(null, null, false, false);
        }
    }

    private static final ClassValue<Optional<PlainRecord>> SHAPES = new ClassValue<>() {
        @Override
        protected Optional<PlainRecord> computeValue(Class<?> type) {
            return Optional.ofNullable(analyze(type, new HashSet<>()));
        }
    };

    private enum Kind {
        STRING,
        DOUBLE,
        LONG,
        INT,
        BOOLEAN,
        BOXED_DOUBLE,
        BOXED_LONG,
        BOXED_INT,
        BOXED_BOOLEAN,
        RECORD,
        LIST
    }

    /** A value's kind, with the record's shape or the list's element where it has one. */
    private record Value(Kind kind, PlainRecord record, Value element) {}

    /**
     * A component: its name, its value, and its accessor as a function of the value's type (primitives
     * unboxed); the accessor is a class spun by {@link LambdaMetafactory}, as Jackson's Blackbird spins
     * them, because a method handle that is not a constant is interpreted on every call.
     */
    private record Component(byte[] property, Value value, Object getter) {}

    private final Component[] components;
    private final byte[][] names;
    private final MethodHandle constructor;
    private final long all;
    private final int longestName;

    private PlainRecord(Component[] components, byte[][] names, MethodHandle constructor, int longestName) {
        this.components = components;
        this.names = names;
        this.constructor = constructor;
        this.all = components.length == 64 ? -1L : (1L << components.length) - 1;
        this.longestName = longestName;
    }

    /** The shape of {@code type}, or null when it is not a plain record. */
    static PlainRecord of(Class<?> type) {
        return SHAPES.get(type).orElse(null);
    }

    /** The longest property name in this record and every record it contains. */
    int longestName() {
        return longestName;
    }

    @SuppressWarnings("unchecked") // each getter was spun for its component's kind, taking any record
    void write(JsonOutput out, Object record) {
        out.raw('{');
        for (int i = 0; i < components.length; i++) {
            if (i > 0) {
                out.raw(',');
            }
            Component c = components[i];
            out.name(c.property());
            Object getter = c.getter();
            switch (c.value().kind()) {
                case DOUBLE -> out.number(((ToDoubleFunction<Object>) getter).applyAsDouble(record));
                case LONG -> out.number(((ToLongFunction<Object>) getter).applyAsLong(record));
                case INT -> out.number(((ToIntFunction<Object>) getter).applyAsInt(record));
                case BOOLEAN -> out.bool(((Predicate<Object>) getter).test(record));
                default -> writeValue(out, ((Function<Object, Object>) getter).apply(record), c.value());
            }
        }
        out.raw('}');
    }

    private static void writeValue(JsonOutput out, Object value, Value shape) {
        if (value == null) {
            out.nullValue();
            return;
        }
        switch (shape.kind()) {
            case STRING -> out.string((String) value);
            case BOXED_DOUBLE -> out.number((double) (Double) value);
            case BOXED_LONG -> out.number((long) (Long) value);
            case BOXED_INT -> out.number((int) (Integer) value);
            case BOXED_BOOLEAN -> out.bool((Boolean) value);
            case RECORD -> shape.record().write(out, value);
            case LIST -> {
                out.raw('[');
                boolean first = true;
                for (Object element : (List<?>) value) {
                    if (!first) {
                        out.raw(',');
                    }
                    first = false;
                    writeValue(out, element, shape.element());
                }
                out.raw(']');
            }
            default -> throw new IllegalStateException("a primitive outside a component: " + shape.kind());
        }
    }

    /** Reads this record's object at nesting {@code depth} of {@code data} (its own object is at 1). */
    Object read(JsonInput in, int depth) {
        if (depth > in.limits().maxDepth()) {
            throw FALLBACK;
        }
        in.expect('{');
        Object[] args = new Object[components.length];
        long seen = 0;
        if (!in.consume('}')) {
            int hint = 0;
            do {
                int i = in.name(names, hint);
                if (i < 0 || (seen & 1L << i) != 0) {
                    throw FALLBACK; // another property (Jackson ignores it), or a repeated one (Jackson refuses it)
                }
                seen |= 1L << i;
                args[i] = readComponent(in, components[i].value(), depth);
                hint = i + 1;
            } while (in.consume(','));
            in.expect('}');
        }
        if (seen != all) {
            throw FALLBACK; // a missing component: Jackson's path gives it its default
        }
        try {
            return (Object) constructor.invokeExact(args);
        } catch (Throwable e) {
            throw FALLBACK; // the constructor refused the values: Jackson's path reports it
        }
    }

    private static Object readComponent(JsonInput in, Value shape, int depth) {
        return switch (shape.kind()) {
            case DOUBLE -> in.doubleValue();
            case LONG -> in.longValue();
            case INT -> in.intValue();
            case BOOLEAN -> in.bool();
            default -> readValue(in, shape, depth);
        };
    }

    private static Object readValue(JsonInput in, Value shape, int depth) {
        if (in.nullValue()) {
            return null;
        }
        return switch (shape.kind()) {
            case STRING -> in.string();
            case BOXED_DOUBLE -> in.doubleValue();
            case BOXED_LONG -> in.longValue();
            case BOXED_INT -> in.intValue();
            case BOXED_BOOLEAN -> in.bool();
            case RECORD -> shape.record().read(in, depth + 1);
            case LIST -> readList(in, shape.element(), depth + 1);
            default -> throw new IllegalStateException("a primitive outside a component: " + shape.kind());
        };
    }

    private static List<Object> readList(JsonInput in, Value element, int depth) {
        if (depth > in.limits().maxDepth()) {
            throw FALLBACK;
        }
        in.expect('[');
        List<Object> list = new ArrayList<>();
        if (!in.consume(']')) {
            do {
                list.add(readValue(in, element, depth));
            } while (in.consume(','));
            in.expect(']');
        }
        return list;
    }

    // ---- shape analysis

    private static PlainRecord analyze(Class<?> type, Set<Class<?>> visiting) {
        if (!type.isRecord()
                || type == RawJson.class // the codec writes its text as it is
                || type.getTypeParameters().length > 0
                || type.getAnnotations().length > 0) {
            return null;
        }
        if (!visiting.add(type)) {
            return null; // a recursive type: left to Jackson
        }
        try {
            return analyzeComponents(type, visiting);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not accessible to Colony (a module that opens it to Jackson only): Jackson binds it
        } finally {
            visiting.remove(type);
        }
    }

    private static PlainRecord analyzeComponents(Class<?> type, Set<Class<?>> visiting)
            throws ReflectiveOperationException {
        RecordComponent[] rc = type.getRecordComponents();
        if (rc.length == 0 || rc.length > 64 || hasOtherGetters(type, rc)) {
            return null;
        }
        Component[] components = new Component[rc.length];
        byte[][] names = new byte[rc.length][];
        Class<?>[] types = new Class<?>[rc.length];
        int longest = 0;
        for (int i = 0; i < rc.length; i++) {
            RecordComponent r = rc[i];
            Method accessor = r.getAccessor();
            if (!plainName(r.getName())
                    || r.getAnnotations().length > 0
                    || accessor.getAnnotations().length > 0
                    || type.getDeclaredField(r.getName()).getAnnotations().length > 0) {
                return null;
            }
            Value value = value(r.getGenericType(), visiting);
            if (value == null) {
                return null;
            }
            Object getter = getter(type, accessor);
            names[i] = r.getName().getBytes(StandardCharsets.US_ASCII);
            byte[] property = ("\"" + r.getName() + "\":").getBytes(StandardCharsets.US_ASCII);
            components[i] = new Component(property, value, getter);
            types[i] = r.getType();
            longest = Math.max(longest, Math.max(names[i].length, nestedLongest(value)));
        }
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        if (canonical.getAnnotations().length > 0) {
            return null;
        }
        canonical.setAccessible(true);
        MethodHandle constructor = MethodHandles.lookup()
                .unreflectConstructor(canonical)
                .asSpreader(Object[].class, rc.length)
                .asType(MethodType.methodType(Object.class, Object[].class));
        return new PlainRecord(components, names, constructor, longest);
    }

    private static Object getter(Class<?> type, Method accessor) {
        Class<?> r = accessor.getReturnType();
        Class<?> face;
        String name;
        if (r == double.class) {
            face = ToDoubleFunction.class;
            name = "applyAsDouble";
        } else if (r == long.class) {
            face = ToLongFunction.class;
            name = "applyAsLong";
        } else if (r == int.class) {
            face = ToIntFunction.class;
            name = "applyAsInt";
        } else if (r == boolean.class) {
            face = Predicate.class;
            name = "test";
        } else {
            face = Function.class;
            name = "apply";
        }
        Class<?> erased = r.isPrimitive() ? r : Object.class;
        try {
            PlainRecord.class.getModule().addReads(type.getModule());
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            CallSite site = LambdaMetafactory.metafactory(
                    lookup,
                    name,
                    MethodType.methodType(face),
                    MethodType.methodType(erased, Object.class),
                    lookup.unreflect(accessor),
                    MethodType.methodType(r, type));
            return site.getTarget().invoke();
        } catch (Throwable e) {
            // not open to Colony, or no class could be spun: the record is left to Jackson
            throw new IllegalStateException("no accessor function for " + accessor, e);
        }
    }

    private static int nestedLongest(Value value) {
        return switch (value.kind()) {
            case RECORD -> value.record().longestName();
            case LIST -> nestedLongest(value.element());
            default -> 0;
        };
    }

    /** Names Jackson takes as they are: ASCII letters, digits and '_', and no bean prefix. */
    private static boolean plainName(String name) {
        if (name.startsWith("get") || name.startsWith("is") || name.startsWith("set")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** A public getter beside the accessors, which Jackson would write as one more property. */
    private static boolean hasOtherGetters(Class<?> type, RecordComponent[] rc) {
        Set<String> accessors = new HashSet<>();
        for (RecordComponent r : rc) {
            accessors.add(r.getName());
        }
        for (Method m : type.getMethods()) {
            String name = m.getName();
            if (Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class
                    || m.getDeclaringClass() == Record.class
                    || m.getParameterCount() != 0
                    || accessors.contains(name)) {
                continue;
            }
            if (name.startsWith("get") || name.startsWith("is") || m.getAnnotations().length > 0) {
                return true;
            }
        }
        return false;
    }

    private static Value value(Type type, Set<Class<?>> visiting) {
        if (type instanceof ParameterizedType p) {
            if (p.getRawType() != List.class) {
                return null;
            }
            Value element = value(p.getActualTypeArguments()[0], visiting);
            return element == null || isPrimitive(element.kind()) ? null : new Value(Kind.LIST, null, element);
        }
        if (!(type instanceof Class<?> c)) {
            return null;
        }
        Kind kind = simpleKind(c);
        if (kind != null) {
            return new Value(kind, null, null);
        }
        PlainRecord record = c.isRecord() ? analyze(c, visiting) : null;
        return record == null ? null : new Value(Kind.RECORD, record, null);
    }

    private static Kind simpleKind(Class<?> c) {
        if (c == String.class) {
            return Kind.STRING;
        } else if (c == double.class) {
            return Kind.DOUBLE;
        } else if (c == long.class) {
            return Kind.LONG;
        } else if (c == int.class) {
            return Kind.INT;
        } else if (c == boolean.class) {
            return Kind.BOOLEAN;
        } else if (c == Double.class) {
            return Kind.BOXED_DOUBLE;
        } else if (c == Long.class) {
            return Kind.BOXED_LONG;
        } else if (c == Integer.class) {
            return Kind.BOXED_INT;
        } else if (c == Boolean.class) {
            return Kind.BOXED_BOOLEAN;
        }
        return null;
    }

    private static boolean isPrimitive(Kind kind) {
        return kind == Kind.DOUBLE || kind == Kind.LONG || kind == Kind.INT || kind == Kind.BOOLEAN;
    }
}
