package com.cloud.exception;

import com.cloud.utils.exception.CloudRuntimeException;

/** Stand-in for CloudStack's {@code InvalidParameterValueException}. */
public class InvalidParameterValueException extends CloudRuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the message shown to the user */
    public InvalidParameterValueException(String message) {
        super(message);
    }
}
