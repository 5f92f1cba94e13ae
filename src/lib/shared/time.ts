/** The network lives in Albania and Greece; times are shown in one zone so server and browser render alike. */
export const NETWORK_TIME_ZONE = 'Europe/Tirane';
