/**
 * The NYSE calendar is a pure rule, so it lives in the domain (bars, locks and resolution need it);
 * market code keeps importing it from here.
 */
export * from "../domain/calendar.ts";
