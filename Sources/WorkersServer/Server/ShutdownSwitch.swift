import ServiceLifecycle

/// Lets code outside the running task start the graceful shutdown of a server's service group.
actor ShutdownSwitch {
    private var group: ServiceGroup?
    private var triggered = false

    func attach(_ group: ServiceGroup) async {
        self.group = group
        if triggered { await group.triggerGracefulShutdown() }
    }

    func trigger() async {
        triggered = true
        await group?.triggerGracefulShutdown()
    }
}
