/**
 * The desk's own sentences, grouped by situation. Each pool holds variants of one move an analyst
 * makes (open on the number that matters, admit a doubt, pass on a call); the writer picks one by a
 * hash of the cycle and the situation, so two cycles in the same situation still read differently.
 * Placeholders: {sym} headline symbol, {word} higher/lower, {tape} the quoted numbers, {z} sigma,
 * {regime} the label in words.
 */
export type Situation = "crisis" | "extreme" | "divergence" | "aligned" | "split" | "lean" | "nocall";

export const TITLES: Record<Situation, readonly string[]> = {
  crisis: [
    "Fear Is Setting the Price of {sym}",
    "When VIX Runs the Room, {sym} Goes {word}",
    "Crisis Tape, Small Bets: {sym} {word}",
  ],
  extreme: [
    "{sym} Moved {z} Sigma and I Don't Believe It",
    "A {z}-Sigma Day in {sym} Usually Gives Some Back",
    "Stretched: Why {sym} Goes {word} From Here",
  ],
  divergence: [
    "Stocks Up, Insurance Up: Something Doesn't Add Up in {sym}",
    "The Rally in {sym} Bought Its Own Hedge",
    "VIX Is Not Buying What {sym} Is Selling",
  ],
  aligned: [
    "Three Reads, One Direction: {sym} {word}",
    "For Once the Minds Agree on {sym}",
    "{sym} {word}: The Backdrop and the Tape Say the Same Thing",
  ],
  split: [
    "The Minds Split on {sym}, and I Side {word}",
    "A Divided Desk Leans {word} on {sym}",
    "Arguing Over {sym}: Why I Land {word}",
  ],
  lean: [
    "One Voice on {sym}, Sized Accordingly",
    "A Thin Case for {sym} {word}",
    "{sym} {word}, With More Doubt Than Usual",
  ],
  nocall: [
    "Nothing Here Worth Putting My Name To",
    "I Am Passing This Cycle, On Purpose",
    "A {regime} Tape With No Edge In It",
    "No Call: The Numbers Don't Earn One",
  ],
};

export const OPENINGS: Record<Situation, readonly string[]> = {
  crisis: [
    "This is a fear tape and I am going to treat it like one. {tape}.",
    "Start with the fear gauge, because everything else is downstream of it today. {tape}.",
  ],
  extreme: [
    "The number I can't get past is {sym}: a {z}-sigma move against its own recent range. {tape}.",
    "Moves this size relative to recent volatility rarely stand still, and {sym} just made one. {tape}.",
    "Something got stretched. {tape}. For {sym} that is {z} standard deviations in a day.",
  ],
  divergence: [
    "Equities rose and so did the price of protecting them; those two rarely climb together for long. {tape}.",
    "Look at VIX before you look at the index. {tape}.",
  ],
  aligned: [
    "The tape this cycle: {tape}.",
    "Here is what I am looking at. {tape}.",
    "The numbers first, then the argument. {tape}.",
  ],
  split: ["The same numbers gave my minds opposite ideas. {tape}.", "A tape you can read two ways: {tape}."],
  lean: [
    "{tape}. Only one of my minds found something to say about {sym}, and I am listening carefully rather than loudly.",
    "One voice carried this cycle while the others sat on their hands. {tape}.",
  ],
  nocall: ["The board: {tape}.", "Where things stand: {tape}.", "What the snapshot shows: {tape}."],
};

export const REGIME_LEADS: readonly string[] = [
  "I read the regime as {regime}: {reasons}.",
  "My regime label this cycle is {regime}, because {reasons}.",
  "Call it {regime}. The deciding numbers: {reasons}.",
];

export const DOUBT_LEADS: readonly string[] = [
  "Where I could be wrong:",
  "What keeps this small:",
  "The honest doubts:",
  "What would make me wrong:",
];

export const NO_CALL_LINES: readonly string[] = [
  "So no call this cycle. Not calling is on the record too, and I would rather be quiet than be a coin flip with a narrative.",
  "I am not making a call. A forecast I can't size above a coin flip is just noise with my name on it.",
  "No call. When the edge is this thin, the disciplined move is to say so and wait.",
];

export const CALL_LEADS: readonly string[] = [
  "What I will put my name to:",
  "Here is what I actually believe, sized the way my record lets me:",
  "The calls, each resolved mechanically at its deadline:",
];

export const THIN_RECORD_LINES: readonly string[] = [
  "My record is too short to lean on: {basis}.",
  "I don't have the history to be bold yet; {basis}.",
];

export const RECORD_LINES: readonly string[] = [
  "In {regime} regimes I am {hits} for {n}, a Brier of {brier}; {basis}.",
  "My own scorecard in {regime} conditions reads {hits} of {n} with Brier {brier}, and {basis}.",
];

export const SIMULATED_NOTICE =
  "[simulated market] Every number below comes from Tapereader's simulated market, not a live feed. Treat these calls as practice.";

export const FALLBACK_NOTICE =
  "[model_fallback] The model desk failed this cycle ({why}), so this dispatch is the offline engine's read of the same numbers.";
