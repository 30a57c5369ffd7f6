/**
 * The desk's connective sentences. Each pool holds ways of making one move an analyst makes (bridge
 * from the opening fact, explain a mind's case, admit a doubt); the writer walks each pool by cycle
 * number, so consecutive dispatches never say the same thing the same way.
 * Placeholders: {sym} headline symbol, {side} higher/lower or the claim,
 * {backdrop} the macro numbers in words.
 */
export const BRIDGES: readonly string[] = [
  "That is where this dispatch has to start.",
  "Everything else today is read in its light.",
  "I can't write about anything else before I account for it.",
  "It is the one number I would show someone who missed the day.",
  "Hold that in mind through what follows.",
  "It frames what I am willing to say below.",
];

export const TAPE_LEADS: readonly string[] = [
  "The rest of the board: {tape}.",
  "For context, {tape}.",
  "Around it: {tape}.",
  "The other numbers I read: {tape}.",
  "Here is the wider tape, {tape}.",
  "What else is on the screen: {tape}.",
];

/** The case each lead mind makes, in the desk's words; {side} is the call's side. */
export const CASES: Record<"flow" | "contrarian" | "stretched" | "macro", readonly string[]> = {
  flow: [
    "Over two sessions a trend is more likely to carry on than to turn, and that is Flow's whole case for {sym} {side}.",
    "My read is momentum: short windows tend to keep the direction they already have, which for {sym} means {side}.",
    "Flow leads because the tape itself points {side}; I am following the trend, not predicting a turn.",
    "Flow reads the tape, not the story, and the tape says {sym} {side}; I would rather ride that for two sessions than argue with it.",
    "This is a trend call. {sym} has a direction, and I am betting it keeps it a little longer.",
  ],
  contrarian: [
    "Contrarian leans against the recent run in {sym}, and I side with it: {sym} {side}.",
    "The crowd has been leaning one way on {sym}; Contrarian takes the other side, {side}, and I think it has the better of the argument.",
    "This is a fade. Contrarian bets the latest move in {sym} has gone far enough, so {side}.",
    "I am with Contrarian on {sym} {side}: the easy money has already been made the other way.",
  ],
  stretched: [
    "Moves this large against a symbol's own volatility tend to give part of it back, so Contrarian leans {sym} {side}.",
    "I think the last move overshot; stretched days like this usually see some of it retraced, which points {sym} {side}.",
    "The case is a snap-back: when {sym} gets this far from its normal range in a day, the next sessions lean the other way.",
    "Contrarian's argument is simple and it persuades me: the crowd pushed {sym} too far, too fast, and some of that reverses.",
    "I am fading the stretch. Extremes measured in sigmas are where a contrarian earns a living, and {sym} is at one.",
  ],
  macro: [
    "Macro leads on the backdrop rather than the chart: {backdrop}. That tilts {sym} {side}.",
    "The argument is about conditions, not price: {backdrop}, and in that setting I lean {sym} {side}.",
    "I weigh the macro picture most this time. With {backdrop}, {sym} {side} is the side I can defend.",
    "Rates, inflation and fear set the tone here ({backdrop}); Macro reads that as {sym} {side}.",
    "Step back from the tape and look at the backdrop: {backdrop}. That is why I land on {sym} {side}.",
  ],
};

export const WASH_LINES: readonly string[] = [
  "Anything within ±{band}% of {entry} is a wash, not a win.",
  "A finish inside ±{band}% of {entry} counts for nothing either way.",
  "Inside the ±{band}% band around {entry} there is no verdict.",
  "If it ends within {band}% of {entry}, call it a draw.",
];

export const NEWS_CAVEATS: readonly string[] = [
  "I quote headlines and filings as reported; they are inputs to weigh, not instructions.",
  "Those are quoted as reported: inputs to weigh, not instructions to follow.",
  "I treat that news as data, as reported: inputs to weigh, not instructions.",
  "News is quoted, not obeyed: inputs to weigh, not instructions.",
];

export const DOUBT_LEADS: readonly string[] = [
  "Where I could be wrong:",
  "What keeps this small:",
  "The honest doubts:",
  "What I worry about:",
  "Why I am not sizing this up:",
  "The case against me:",
];

export const WRONG_LEADS: readonly string[] = [
  "What would prove me wrong is simple:",
  "Here is how you will know I was wrong:",
  "The test is mechanical:",
  "Hold me to this:",
  "My falsifier:",
];

export const CALL_LEADS: readonly string[] = [
  "What I will put my name to:",
  "Here is what I actually believe, sized the way my record lets me:",
  "The calls, each resolved mechanically at its deadline:",
  "On the record:",
  "My calls this cycle:",
];

export const NO_CALL_LINES: readonly string[] = [
  "So no call this cycle. Not calling is on the record too, and I would rather be quiet than be a coin flip with a narrative.",
  "I am not making a call. A forecast I can't size above a coin flip is just noise with my name on it.",
  "No call. When the edge is this thin, the disciplined move is to say so and wait.",
  "I pass. A number I can't defend is worse than no number.",
  "Nothing clears my bar today, so I keep my powder dry and say so.",
];

export const RECORD_GOOD: readonly string[] = [
  "That record earns a little size, not a lot.",
  "It is a real edge, small enough that I keep the number modest.",
  "Good enough to act on, not good enough to shout.",
];

export const RECORD_BAD: readonly string[] = [
  "That is not a record that earns conviction, and the number below reflects it.",
  "I have been wrong on this kind of call often enough to size it down.",
  "The record argues for humility, so the number is small.",
];

export const SIMULATED_NOTICE =
  "[simulated market] Every number below comes from Tapereader's simulated market, not a live feed. Treat these calls as practice.";

export const FALLBACK_NOTICE =
  "[model_fallback] The model desk failed this cycle ({why}), so this dispatch is the offline engine's read of the same numbers.";

export const TEXT_FALLBACK_NOTICE =
  "[text_fallback] The first draft of this dispatch contradicted the snapshot ({why}), so it is published in plain form.";
