import { strokeIcon } from "../icons";

/** Icons of the Sales knowledge pages (navigation, empty states). */
export const CardsIcon = strokeIcon(
  "M7 3h12a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM3 7v12a2 2 0 0 0 2 2h12M9 8h8M9 12h5",
);
export const SparkIcon = strokeIcon(
  "M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8zM19 15l.9 2.1L22 18l-2.1.9L19 21l-.9-2.1L16 18l2.1-.9z",
);
