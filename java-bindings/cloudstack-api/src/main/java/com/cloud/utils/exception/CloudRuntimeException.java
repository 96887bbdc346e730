package com.cloud.utils.exception;

/** Stand-in for CloudStack's {@code CloudRuntimeException}: its public constructors. */
public class CloudRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the message shown to the user */
    public CloudRuntimeException(String message) {
        super(message);
    }

    /**
     * @param message the message shown to the user
     * @param th the cause
     */
    public CloudRuntimeException(String message, Throwable th) {
        super(message, th);
    }

    /** @param t the cause, whose message becomes this one's */
    public CloudRuntimeException(Throwable t) {
        super(t.getMessage(), t);
    }

    /** For subclasses. */
    protected CloudRuntimeException() {
        super();
    }
}
