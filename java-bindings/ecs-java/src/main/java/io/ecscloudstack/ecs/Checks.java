package io.ecscloudstack.ecs;

/** Argument checks that fail with {@link EcsException} rather than {@link NullPointerException}. */
final class Checks {
    private Checks() {
    }

    /**
     * @return {@code value}
     * @throws EcsException {@link ErrorCode#INVALID_INPUT} naming {@code name} when it is null
     */
    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new EcsException(ErrorCode.INVALID_INPUT, name + " must not be null");
        }
        return value;
    }
}
