/**
 * Base URL of the API, from TARO_APP_API_BASE at build time (public: it ends up in the bundle).
 * '' means same origin, which suits the H5 build served next to the API; a weapp build needs
 * an absolute https URL on the mini-program's request domain list.
 */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''
