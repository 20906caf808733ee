export function buildNode(): Promise<void>;
export function nodeBuildIsStale(): boolean;
export function buildNodeIfStale(): Promise<void>;
