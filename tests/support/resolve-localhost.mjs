// Preloaded (`node --import`) into a function process talking to fauxqs, whose queue URLs are
// under *.localhost, a name this machine's resolver does not know.
import { interceptLocalhostDns } from 'fauxqs';

interceptLocalhostDns();
