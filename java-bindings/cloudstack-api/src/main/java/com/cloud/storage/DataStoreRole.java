package com.cloud.storage;

/** Stand-in for CloudStack's {@code DataStoreRole}. */
public enum DataStoreRole {
    /** Primary storage. */
    Primary("primary"),
    /** Secondary (image) storage. */
    Image("image"),
    /** Image cache. */
    ImageCache("imagecache"),
    /** Backup storage. */
    Backup("backup"),
    /** Object storage. */
    Object("object");

    private final String role;

    DataStoreRole(String role) {
        this.role = role;
    }

    /** @return whether the role is image storage */
    public boolean isImageStore() {
        return this.role.equalsIgnoreCase("image");
    }

    /**
     * @param role a role name, any case
     * @return the matching role, or null
     */
    public static DataStoreRole getRole(String role) {
        for (DataStoreRole r : values()) {
            if (r.role.equalsIgnoreCase(role)) {
                return r;
            }
        }
        return null;
    }
}
