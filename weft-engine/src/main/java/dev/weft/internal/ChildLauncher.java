package dev.weft.internal;

import dev.weft.store.NewRun;

/** How a run's engine takes part in starting its children: the engine implements it. */
interface ChildLauncher {

    /** Whether this engine drives children of {@code type} itself (else it leaves them for workers that can). */
    boolean drivesLocally(String type);

    /** The version of this engine's definition of {@code type}, or 1 when it has none. */
    int versionOf(String type);

    /** Starts driving a child whose run has just been created, owned by this engine. */
    void launch(NewRun child);

    /** Tells the parent of a run that ended here, if the parent is driven here too. */
    void wakeParent(String parentId);
}
