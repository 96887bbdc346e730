package com.cloud.projects;

import java.util.Date;
import java.util.UUID;

/**
 * Stand-in for CloudStack's {@code ProjectVO} (table {@code projects}): a project owns its
 * resources through a project account ({@code projectAccountId}, an account of type
 * {@code PROJECT}) in a domain.
 */
public class ProjectVO {
    private long id;
    private String name;
    private String displayText;
    private long domainId;
    private long projectAccountId;
    private Date created;
    private Date removed;
    private String uuid;

    /** An empty row with a random UUID (the persistence layer's constructor). */
    protected ProjectVO() {
        this.uuid = UUID.randomUUID().toString();
    }

    /**
     * @param name the project's name
     * @param displayText its description
     * @param domainId its domain
     * @param projectAccountId the account that owns the project's resources
     */
    public ProjectVO(String name, String displayText, long domainId, long projectAccountId) {
        this.name = name;
        this.displayText = displayText;
        this.domainId = domainId;
        this.projectAccountId = projectAccountId;
        this.uuid = UUID.randomUUID().toString();
    }

    /** @return the row id */
    public long getId() {
        return id;
    }

    /** @return the UUID CloudStack's API shows */
    public String getUuid() {
        return uuid;
    }

    /** @return the name */
    public String getName() {
        return name;
    }

    /** @return the description */
    public String getDisplayText() {
        return displayText;
    }

    /** @return the project's domain */
    public long getDomainId() {
        return domainId;
    }

    /** @return the account that owns the project's resources */
    public long getProjectAccountId() {
        return projectAccountId;
    }

    /** @return when the row was created */
    public Date getCreated() {
        return created;
    }

    /** @return when the row was removed, or null */
    public Date getRemoved() {
        return removed;
    }
}
