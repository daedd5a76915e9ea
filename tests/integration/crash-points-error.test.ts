import { crashPointSuite } from '../support/crash-point-suite.js';

crashPointSuite(['error']);
