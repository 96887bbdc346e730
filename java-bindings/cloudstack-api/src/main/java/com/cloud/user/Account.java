package com.cloud.user;

import java.util.Date;

import org.apache.cloudstack.acl.ControlledEntity;
import org.apache.cloudstack.api.Identity;
import org.apache.cloudstack.api.InternalIdentity;

/** Stand-in for CloudStack's {@code Account}. */
public interface Account extends ControlledEntity, InternalIdentity, Identity {
    /** Id of the SYSTEM account. */
    long ACCOUNT_ID_SYSTEM = 1;

    /** Account types. */
    enum Type {
        /** A user account. */ NORMAL,
        /** A root admin. */ ADMIN,
        /** A domain admin. */ DOMAIN_ADMIN,
        /** A resource domain admin. */ RESOURCE_DOMAIN_ADMIN,
        /** A read-only admin. */ READ_ONLY_ADMIN,
        /** A project. */ PROJECT,
        /** Unknown. */ UNKNOWN;

        /**
         * @param type an ordinal
         * @return the type, or null
         */
        public static Type getFromValue(Integer type) {
            if (type == null || type < 0 || type >= values().length) {
                return null;
            }
            return values()[type];
        }
    }

    /** Account states; {@code toString()} is lower case. */
    enum State {
        /** Disabled. */ DISABLED,
        /** Enabled. */ ENABLED,
        /** Locked. */ LOCKED;

        @Override
        public String toString() {
            return super.toString().toLowerCase();
        }

        /**
         * @param state a state name, any case
         * @return the state, or null
         */
        public static State getValueOf(String state) {
            for (State s : values()) {
                if (s.name().equalsIgnoreCase(state)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** @return the account's name */
    String getAccountName();

    /** @return the account's type */
    Type getType();

    /** @return the role's id */
    Long getRoleId();

    /** @return the account's state */
    State getState();

    /** @return when it was created */
    Date getCreated();

    /** @return when it was removed, or null */
    Date getRemoved();

    /** @return the network domain */
    String getNetworkDomain();

    /** @return the default zone, or null */
    Long getDefaultZoneId();

    /** @return whether it is a default account */
    boolean isDefault();
}
