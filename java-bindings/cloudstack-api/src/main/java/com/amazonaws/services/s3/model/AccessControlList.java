package com.amazonaws.services.s3.model;

import java.io.Serializable;

/** Stand-in for the AWS SDK v1 {@code AccessControlList}; object-store drivers only pass it through. */
public class AccessControlList implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Creates an empty list. */
    public AccessControlList() {
    }
}
