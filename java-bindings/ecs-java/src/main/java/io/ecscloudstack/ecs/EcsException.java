package io.ecscloudstack.ecs;

/**
 * Every failure of the ECS driver, classified by an {@link ErrorCode}.
 *
 * <p>Unchecked: CloudStack's driver methods declare no checked exceptions. A Rust panic arrives as
 * {@link ErrorCode#INTERNAL}; the management server keeps running.
 */
public class EcsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;

    /**
     * @param code    what went wrong
     * @param message one line for an administrator
     */
    public EcsException(ErrorCode code, String message) {
        this(code, message, code.retryableByDefault());
    }

    /**
     * @param code      what went wrong
     * @param message   one line for an administrator
     * @param retryable whether repeating the call may succeed
     */
    public EcsException(ErrorCode code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    /** Called by the native library with the {@code ErrorKind} code name. */
    EcsException(String code, String message, boolean retryable) {
        this(codeOf(code), message, retryable);
    }

    private static ErrorCode codeOf(String name) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return ErrorCode.INTERNAL;
    }

    /** @return what went wrong */
    public ErrorCode code() {
        return code;
    }

    /** @return whether repeating the same call may succeed */
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + code + (retryable ? ", retryable" : "") + "]: " + getMessage();
    }
}
