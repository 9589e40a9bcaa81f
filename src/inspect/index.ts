// Public API of src/inspect/ (being written).
export {};
