// A read worker whose module fails to load (as the real one does when its database cannot be
// opened): for the read pool's readiness when a thread never starts.
throw new Error("read worker failed to load: no database here");
