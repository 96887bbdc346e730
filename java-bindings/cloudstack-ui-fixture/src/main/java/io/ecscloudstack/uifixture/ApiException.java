package io.ecscloudstack.uifixture;

/**
 * An API error as CloudStack reports it: the HTTP status doubles as {@code errorcode}
 * (CloudStack's {@code ApiErrorCode}), {@code cserrorcode} names the exception class family
 * (CloudStack's {@code CSExceptionErrorCode}), and {@code errortext} is shown to the user.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** ApiErrorCode.UNAUTHORIZED. */
    static final int UNAUTHORIZED = 401;
    /** ApiErrorCode.PARAM_ERROR. */
    static final int PARAM_ERROR = 431;
    /** ApiErrorCode.UNSUPPORTED_ACTION_ERROR: unknown command. */
    static final int UNSUPPORTED_ACTION = 432;
    /** ApiErrorCode.INTERNAL_ERROR. */
    static final int INTERNAL_ERROR = 530;

    /** CSExceptionErrorCode of InvalidParameterValueException. */
    static final int CS_INVALID_PARAMETER = 4350;
    /** CSExceptionErrorCode of CloudRuntimeException. */
    static final int CS_CLOUD_RUNTIME = 4250;

    private final int errorCode;
    private final int csErrorCode;

    ApiException(int errorCode, int csErrorCode, String text) {
        super(text);
        this.errorCode = errorCode;
        this.csErrorCode = csErrorCode;
    }

    static ApiException param(String text) {
        return new ApiException(PARAM_ERROR, CS_INVALID_PARAMETER, text);
    }

    static ApiException missing(String command, String parameter) {
        return param("Unable to execute API command " + command.toLowerCase() + " due to missing parameter "
                + parameter);
    }

    int errorCode() {
        return errorCode;
    }

    int csErrorCode() {
        return csErrorCode;
    }
}
