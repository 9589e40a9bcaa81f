// Public API of src/daemon/ (being written).
export {};
