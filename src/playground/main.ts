/** The browser bundle's entry (scripts/bundle.ts): the playground page, once its markup is parsed. */
import { startPlayground } from "./ui/page.js";

startPlayground(window);
