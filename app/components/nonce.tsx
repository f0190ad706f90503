import { createContext, useContext } from "react";

/** The CSP nonce of the current response; empty in the browser, which hides nonce attributes after load. */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
