package dev.weft.workflow;

import java.util.Locale;

/** What happens to a child workflow when its parent ends. */
public enum ParentClosePolicy {
    /** The parent does not end until the child has ended. */
    AWAIT,
    /** The child goes on by itself. */
    ABANDON,
    /** The child is asked to cancel, in the same transaction as the parent's end. */
    REQUEST_CANCEL;

    /** The lowercase name stored with the child. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
