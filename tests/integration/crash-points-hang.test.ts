import { crashPointSuite } from '../support/crash-point-suite.js';

crashPointSuite(['hang']);
