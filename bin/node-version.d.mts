// Types of node-version.mjs (plain JavaScript, so that it runs before tsx is loaded).
export declare const MINIMUM_NODE: string;
export declare function checkNodeVersion(version: string, minimum?: string): string | null;
export declare function requireNodeVersion(): void;
