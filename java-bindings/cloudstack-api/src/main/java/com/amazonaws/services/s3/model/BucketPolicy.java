package com.amazonaws.services.s3.model;

import java.io.Serializable;

/** Stand-in for the AWS SDK v1 {@code BucketPolicy}: the policy document's text. */
public class BucketPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private String policyText;

    /** Creates a policy without text. */
    public BucketPolicy() {
    }

    /** @return the policy JSON, or null */
    public String getPolicyText() {
        return this.policyText;
    }

    /** @param policyText the policy JSON */
    public void setPolicyText(String policyText) {
        this.policyText = policyText;
    }
}
