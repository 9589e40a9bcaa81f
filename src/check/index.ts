// Public API of src/check/ (being written).
export {};
