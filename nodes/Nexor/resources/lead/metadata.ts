/**
 * Metadata parameters shared by Create and Update: key/value entries with a type, or one JSON object.
 * Core (metadata.ts) builds the object from either; the wording is core's, so both platforms agree.
 */
import type {
  IDataObject,
  IExecuteFunctions,
  INodeProperties,
} from "n8n-workflow";
import { HELP, MetadataEntry, MetadataSource } from "../../../../core";

// Built outside the property literals: n8n's description lint rules cannot read template literals.
const metadataEntriesHelp = `${HELP.metadata} ${HELP.metadataTyping} With duplicate keys, the last entry wins. ${HELP.metadataKeys}`;
const metadataTypeHelp = `${HELP.metadataTyping} To send text such as "35" as a number, choose Number.`;
const metadataJsonHelp = `A JSON object to merge into the lead's metadata, such as {"utm_source": "google", "score": 35}. ${HELP.metadata} ${HELP.metadataJson}`;
const metadataValueHelp = `The value to store. A blank or null value leaves the key unchanged (on Update, unless When a Mapped Value Is Empty is Clear the Field). ${HELP.dates}`;

export function metadataParameters(operations: string[]): INodeProperties[] {
  const showFor = { show: { resource: ["lead"], operation: operations } };
  return [
    {
      displayName: "Metadata Input",
      name: "metadataInput",
      type: "options",
      default: "fields",
      description: "How to give the metadata to merge into the lead",
      displayOptions: showFor,
      options: [
        {
          name: "Using Fields Below",
          value: "fields",
          description: "Add key/value entries one by one",
        },
        {
          name: "Using JSON",
          value: "json",
          description: "Give one JSON object",
        },
      ],
    },
    {
      displayName: "Metadata",
      name: "metadataFields",
      type: "fixedCollection",
      placeholder: "Add Metadata Entry",
      default: {},
      typeOptions: { multipleValues: true },
      description: metadataEntriesHelp,
      displayOptions: { show: { ...showFor.show, metadataInput: ["fields"] } },
      options: [
        {
          displayName: "Entry",
          name: "entry",
          values: [
            {
              displayName: "Key",
              name: "key",
              type: "string",
              default: "",
              placeholder: "e.g. utm_source",
              description: HELP.metadataKeys,
            },
            {
              displayName: "Value",
              name: "value",
              type: "string",
              default: "",
              placeholder: "e.g. google",
              description: metadataValueHelp,
              // A Null entry stores null: a value there would be ignored, so it isn't offered.
              displayOptions: { hide: { type: ["null"] } },
            },
            {
              displayName: "Type",
              name: "type",
              type: "options",
              // 'auto' is kept as the stored value so existing workflows keep their setting.
              default: "auto",
              description: metadataTypeHelp,
              options: [
                {
                  name: "As Mapped (Default)",
                  value: "auto",
                  description:
                    'Keep the type the value arrives with: text stays text (even "35"), a number stays a number, true/false stays true/false',
                },
                {
                  name: "Boolean",
                  value: "boolean",
                  description:
                    'Convert "true" or "false" (any case) to true/false',
                },
                {
                  name: "JSON",
                  value: "json",
                  description:
                    'Parse JSON text such as {"plan": "pro"} or [1, 2] and store it as it is',
                },
                {
                  name: "Null",
                  value: "null",
                  description: "Store an empty (null) value under the key",
                },
                {
                  name: "Number",
                  value: "number",
                  description: 'Convert text such as "35" or "3.5" to a number',
                },
                {
                  name: "Text",
                  value: "text",
                  description:
                    'Send the value as text: a mapped 35 becomes "35"',
                },
              ],
            },
          ],
        },
      ],
    },
    {
      displayName: "Metadata (JSON)",
      name: "metadataJson",
      type: "json",
      default: "{}",
      description: metadataJsonHelp,
      displayOptions: { show: { ...showFor.show, metadataInput: ["json"] } },
    },
  ];
}

export function readMetadata(
  context: IExecuteFunctions,
  itemIndex: number,
): MetadataSource {
  const mode = context.getNodeParameter(
    "metadataInput",
    itemIndex,
    "fields",
  ) as string;
  if (mode === "json")
    return { json: context.getNodeParameter("metadataJson", itemIndex, "{}") };
  const collection = context.getNodeParameter(
    "metadataFields",
    itemIndex,
    {},
  ) as IDataObject;
  const entries = (collection.entry ?? []) as MetadataEntry[];
  return { entries };
}
