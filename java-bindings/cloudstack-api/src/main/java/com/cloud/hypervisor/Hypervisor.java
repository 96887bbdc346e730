package com.cloud.hypervisor;

/** Stand-in for CloudStack's {@code Hypervisor}. */
public class Hypervisor {
    /** Hypervisor types; lifecycles only pass them through. */
    public enum HypervisorType {
        /** None. */ None,
        /** XenServer. */ XenServer,
        /** KVM. */ KVM,
        /** VMware. */ VMware,
        /** Hyper-V. */ Hyperv,
        /** VirtualBox. */ VirtualBox,
        /** Parallels (CloudStack's spelling). */ Parralels,
        /** Bare metal. */ BareMetal,
        /** Simulator. */ Simulator,
        /** OVM. */ Ovm,
        /** OVM3. */ Ovm3,
        /** LXC. */ LXC,
        /** Custom. */ Custom,
        /** Any. */ Any
    }
}
