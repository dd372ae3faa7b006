// Types of check-setup.js, which stays plain JavaScript so it runs before tsx is installed.
export declare const BASE_FOLDERS: string[];
